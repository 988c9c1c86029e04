// Sign-in with a user name and password; the server answers with a session cookie (HttpOnly) and
// the session's CSRF token, then the console returns to the page that asked for sign-in.
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.js';
import { useLogin, useSession } from '../api/session.js';
import { LanguageSwitch } from '../app/language-switch.js';
import { useI18n } from '../i18n/locale.js';

export default function LoginPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next')?.startsWith('/') ? (params.get('next') ?? '/clusters') : '/clusters';
  if (session.data) return <Navigate to={next} replace />;
  const error = login.error instanceof ApiError ? login.error.text(locale) : login.error?.message;
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              Kuberack
            </Typography.Title>
            <LanguageSwitch />
          </Space>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          {error && <Alert type="error" showIcon message={error} />}
          <Form
            layout="vertical"
            initialValues={{ username: 'admin' }}
            onFinish={(v: { username: string; password: string }) =>
              login.mutate(v, { onSuccess: () => void navigate(next, { replace: true }) })
            }
          >
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={login.isPending}>
              {t('login.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
