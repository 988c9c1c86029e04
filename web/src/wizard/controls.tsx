// Form controls bound to a spec path: each renders its label (the seed's field name) associated
// with the control, its help text, and the problems and warnings validation found at that path.
import { Checkbox, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { ReactNode } from 'react';
import { renderProblem } from '../../../src/domain/index.js';
import { useI18n } from '../i18n/locale.js';
import { TEXTS, type TextKey } from '../i18n/texts.js';
import { getIn } from './draft.js';
import { problemText } from './problem-text.js';
import { useWizard } from './wizard-context.js';

/** A DOM id for the control of a spec path. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export interface FieldProps {
  readonly path: string;
  readonly label: TextKey;
  /** The seed's description of the field, shown under it. */
  readonly help?: TextKey | ReactNode;
  readonly required?: boolean;
}

export function Field({
  path,
  label,
  help,
  required,
  children,
}: FieldProps & { children: (id: string, label: string) => ReactNode }) {
  const { t, locale } = useI18n();
  const w = useWizard();
  const id = fieldId(path);
  const errors = w.errorsAt(path);
  const warnings = w.warningsAt(path);
  const messages =
    errors.length > 0
      ? errors.map((p) => problemText(p, locale))
      : warnings.map((p) => renderProblem(p, locale));
  const text = t(label);
  return (
    <Form.Item
      label={text}
      htmlFor={id}
      required={required}
      validateStatus={errors.length > 0 ? 'error' : warnings.length > 0 ? 'warning' : undefined}
      help={
        messages.length > 0 ? (
          <div id={`${id}-help`} data-field={path}>
            {messages.map((m, i) => (
              <div key={i}>{m}</div>
            ))}
          </div>
        ) : undefined
      }
      extra={typeof help === 'string' && help in TEXTS ? t(help as TextKey) : help}
    >
      {children(id, text)}
    </Form.Item>
  );
}

/**
 * A field made of several controls (a list with add and remove buttons): a group named by the field's
 * label, since a `<label for>` can name only one control.
 */
export function FieldGroup({ id, label, children }: { id?: string; label: string; children: ReactNode }) {
  return (
    <div role="group" id={id} aria-label={label}>
      {children}
    </div>
  );
}

export function TextField(
  props: FieldProps & { placeholder?: string; password?: boolean; multiline?: boolean },
) {
  const w = useWizard();
  const value = getIn(w.draft, props.path);
  const str = typeof value === 'string' ? value : '';
  return (
    <Field {...props}>
      {(id) =>
        props.multiline ? (
          <Input.TextArea
            id={id}
            rows={4}
            value={str}
            placeholder={props.placeholder}
            onChange={(e) => w.set(props.path, e.target.value === '' ? null : e.target.value)}
          />
        ) : props.password ? (
          <Input.Password
            id={id}
            value={str}
            autoComplete="new-password"
            onChange={(e) => w.set(props.path, e.target.value)}
          />
        ) : (
          <Input
            id={id}
            value={str}
            placeholder={props.placeholder}
            onChange={(e) => w.set(props.path, e.target.value)}
          />
        )
      }
    </Field>
  );
}

export function NumberField(props: FieldProps & { min?: number; max?: number; addonAfter?: string }) {
  const w = useWizard();
  const value = getIn(w.draft, props.path);
  return (
    <Field {...props}>
      {(id) => (
        <InputNumber
          id={id}
          min={props.min}
          max={props.max}
          addonAfter={props.addonAfter}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => w.set(props.path, typeof v === 'number' ? v : 0)}
        />
      )}
    </Field>
  );
}

export interface Choice<T> {
  readonly value: T;
  readonly label: TextKey | { readonly text: string };
}

function choiceLabel<T>(c: Choice<T>, t: (k: TextKey) => string): string {
  return typeof c.label === 'string' ? t(c.label) : c.label.text;
}

export function RadioField<T extends string | boolean>(
  props: FieldProps & { choices: readonly Choice<T>[]; onChange?: (v: T) => void; value?: T },
) {
  const w = useWizard();
  const { t } = useI18n();
  const value = props.value ?? (getIn(w.draft, props.path) as T);
  return (
    <Field {...props}>
      {(id, label) => (
        <Radio.Group
          id={id}
          aria-label={label}
          value={value}
          onChange={(e) =>
            props.onChange ? props.onChange(e.target.value as T) : w.set(props.path, e.target.value)
          }
          options={props.choices.map((c) => ({ value: c.value as string, label: choiceLabel(c, t) }))}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string | number>(
  props: FieldProps & {
    choices: readonly Choice<T>[];
    onChange?: (v: T | null) => void;
    value?: T | null;
    allowClear?: boolean;
    loading?: boolean;
    placeholder?: string;
  },
) {
  const w = useWizard();
  const { t } = useI18n();
  const value = props.value !== undefined ? props.value : (getIn(w.draft, props.path) as T | null);
  return (
    <Field {...props}>
      {(id) => (
        <Select<T>
          id={id}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ maxWidth: 480 }}
          value={value ?? undefined}
          allowClear={props.allowClear}
          loading={props.loading}
          placeholder={props.placeholder}
          onChange={(v) => (props.onChange ? props.onChange(v ?? null) : w.set(props.path, v ?? null))}
          options={props.choices.map((c) => ({ value: c.value, label: choiceLabel(c, t) }))}
        />
      )}
    </Field>
  );
}

/** Free-form list of strings (RDS ids, SANs, audiences, instance ids). */
export function TagsField(props: FieldProps & { placeholder?: string }) {
  const w = useWizard();
  const value = getIn(w.draft, props.path);
  return (
    <Field {...props}>
      {(id) => (
        <Select<string[]>
          id={id}
          mode="tags"
          style={{ maxWidth: 480 }}
          open={false}
          tokenSeparators={[',', ' ']}
          placeholder={props.placeholder}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={(v) => w.set(props.path, v)}
        />
      )}
    </Field>
  );
}

export function CheckField(
  props: FieldProps & { text: TextKey; onChange?: (v: boolean) => void; value?: boolean },
) {
  const w = useWizard();
  const { t } = useI18n();
  const value = props.value ?? getIn(w.draft, props.path) === true;
  return (
    <Field {...props}>
      {(id, label) => (
        <Checkbox
          id={id}
          // Named by both the field's label and its own text; once when the two say the same.
          aria-label={label === t(props.text) ? label : undefined}
          checked={value}
          onChange={(e) =>
            props.onChange ? props.onChange(e.target.checked) : w.set(props.path, e.target.checked)
          }
        >
          {t(props.text)}
        </Checkbox>
      )}
    </Field>
  );
}
