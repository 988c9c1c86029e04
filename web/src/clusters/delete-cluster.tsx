// Deleting a cluster (M64) and its deletion protection (M32): a switch that asks before turning the
// protection off, and a delete dialog that names the cluster, says when it is protected and lets the
// protection be turned off right there, so a protected cluster can be deleted in one place.
import { Alert, Button, Modal, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { useCluster, useDeleteCluster, useDeletionProtection } from '../api/clusters.js';
import { useI18n } from '../i18n/locale.js';

function errorText(e: unknown, locale: 'zh-CN' | 'en'): string {
  return e instanceof ApiError ? e.text(locale) : String(e);
}

/** The protection switch: turning it on is immediate; turning it off asks first, naming the cluster. */
export function DeletionProtectionSwitch({
  id,
  name,
  on,
  disabled,
}: {
  id: string;
  name: string;
  on: boolean;
  disabled?: boolean;
}) {
  const { t, locale } = useI18n();
  const change = useDeletionProtection(id);
  const [modal, holder] = Modal.useModal();
  const set = (next: boolean) => {
    if (next) {
      change.mutate(true);
      return;
    }
    void modal.confirm({
      title: t('protection.offTitle', { name }),
      content: t('protection.offBody'),
      okText: t('protection.offOk'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => change.mutateAsync(false),
    });
  };
  return (
    <Space>
      {holder}
      <Switch
        aria-label={t('field.deletionProtection')}
        checked={on}
        loading={change.isPending}
        disabled={disabled}
        onChange={set}
      />
      <Typography.Text type={on ? undefined : 'secondary'}>
        {on ? t('protection.on') : t('protection.off')}
      </Typography.Text>
      {change.error && <Typography.Text type="danger">{errorText(change.error, locale)}</Typography.Text>}
    </Space>
  );
}

/**
 * The delete button and its dialog. The dialog reads the cluster (for its protection) only when
 * opened; with an older server that does not report protection, a refused delete explains it.
 */
export function DeleteClusterButton({
  id,
  name,
  disabled,
  link,
  onDeleted,
}: {
  id: string;
  name: string;
  disabled?: boolean;
  link?: boolean;
  onDeleted: (taskId: string) => void;
}) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const cluster = useCluster(id, open);
  const remove = useDeleteCluster();
  const protectedNow = cluster.data?.deletionProtection === true;
  const refused = remove.error;
  return (
    <>
      <Button
        danger
        type={link ? 'link' : 'default'}
        size={link ? 'small' : undefined}
        disabled={disabled}
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        {t('common.delete')}
      </Button>
      <Modal
        open={open}
        title={t('clusters.deleteTitle', { name })}
        okText={t('common.delete')}
        okButtonProps={{ danger: true, disabled: protectedNow || cluster.isPending }}
        cancelText={t('common.cancel')}
        confirmLoading={remove.isPending}
        onCancel={() => setOpen(false)}
        onOk={() =>
          remove.mutate(id, {
            onSuccess: (r) => {
              setOpen(false);
              onDeleted(r.taskId);
            },
          })
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('clusters.deleteConfirm', { name })}</Typography.Paragraph>
          {cluster.data?.deletionProtection !== undefined && (
            <Alert
              type={protectedNow ? 'warning' : 'info'}
              showIcon
              message={protectedNow ? t('detail.protectedHelp') : t('protection.offNow')}
              description={<DeletionProtectionSwitch id={id} name={name} on={protectedNow} />}
            />
          )}
          {refused && (
            <Alert
              type={
                refused instanceof ApiError && refused.code === 'ENGINE_DELETION_PROTECTED'
                  ? 'warning'
                  : 'error'
              }
              showIcon
              message={errorText(refused, locale)}
              description={
                refused instanceof ApiError && refused.code === 'ENGINE_DELETION_PROTECTED'
                  ? t('detail.protectedHelp')
                  : undefined
              }
            />
          )}
        </Space>
      </Modal>
    </>
  );
}
