// The signed-in layout: header with navigation, the language switch and sign-out, then the page.
import { Button, Layout, Menu, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useLogout } from '../api/session.js';
import { useI18n } from '../i18n/locale.js';
import { LanguageSwitch } from './language-switch.js';

export function Shell({ user, children }: { user: string; children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Link to="/clusters" style={{ color: '#fff', fontWeight: 600, fontSize: 18 }}>
          Kuberack
        </Link>
        <Menu
          theme="dark"
          mode="horizontal"
          style={{ flex: 1, minWidth: 0 }}
          selectedKeys={[location.pathname.startsWith('/clusters') ? 'clusters' : '']}
          items={[{ key: 'clusters', label: <Link to="/clusters">{t('nav.clusters')}</Link> }]}
        />
        <Space>
          <LanguageSwitch dark />
          <Typography.Text style={{ color: '#fff' }}>{user}</Typography.Text>
          <Button
            size="small"
            onClick={() =>
              logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })
            }
          >
            {t('nav.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
    </Layout>
  );
}
