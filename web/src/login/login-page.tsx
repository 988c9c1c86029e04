// Sign-in with a user name and password; the server answers with a session cookie (HttpOnly) and
// the session's CSRF token, then the console returns to the page that asked for sign-in. A plain
// form with antd inputs: the first page any visitor loads stays free of antd's Form and Card.
import { Alert, Button, Input, Space, Typography } from 'antd';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.js';
import { useLogin, useSession } from '../api/session.js';
import { LanguageSwitch } from '../app/language-switch.js';
import { useI18n } from '../i18n/locale.js';

const LABEL = { display: 'block', marginBottom: 6 } as const;

export default function LoginPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const next = params.get('next')?.startsWith('/') ? (params.get('next') ?? '/clusters') : '/clusters';
  if (session.data) return <Navigate to={next} replace />;
  const error = login.error instanceof ApiError ? login.error.text(locale) : login.error?.message;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (username === '' || password === '') return;
    login.mutate({ username, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <div
        style={{ width: 380, padding: 24, background: '#fff', borderRadius: 8, border: '1px solid #f0f0f0' }}
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              Kuberack
            </Typography.Title>
            <LanguageSwitch />
          </Space>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          {error && <Alert type="error" showIcon message={error} />}
          <form onSubmit={submit}>
            <Space direction="vertical" style={{ width: '100%' }} size="middle">
              <div>
                <label htmlFor="login-username" style={LABEL}>
                  {t('login.username')}
                </label>
                <Input
                  id="login-username"
                  autoComplete="username"
                  required
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                />
              </div>
              <div>
                <label htmlFor="login-password" style={LABEL}>
                  {t('login.password')}
                </label>
                <Input.Password
                  id="login-password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </div>
              <Button type="primary" htmlType="submit" block loading={login.isPending}>
                {t('login.submit')}
              </Button>
            </Space>
          </form>
        </Space>
      </div>
    </main>
  );
}
