// Routes of the console under /console/: each page is its own chunk (React.lazy), and so is the
// signed-in layout (its menu), so the sign-in page loads only what it shows.
import { Alert, Spin } from 'antd';
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from '../api/session.js';

const Shell = lazy(() => import('./shell.js').then((m) => ({ default: m.Shell })));

const LoginPage = lazy(() => import('../login/login-page.js'));
const ClusterListPage = lazy(() => import('../clusters/cluster-list-page.js'));
const CreateClusterPage = lazy(() => import('../wizard/create-cluster-page.js'));
const ClusterDetailPage = lazy(() => import('../clusters/cluster-detail-page.js'));
const NodeDetailPage = lazy(() => import('../nodes/node-detail-page.js'));

export function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

/** A page that fails to render shows its error instead of a blank screen. */
class PageError extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error)
      return <Alert type="error" showIcon message={this.state.error.message} style={{ margin: 24 }} />;
    return this.props.children;
  }
}

/** Pages behind sign-in: without a session, go to the login page and come back afterwards. */
function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (!session.data)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <Shell user={session.data.user.name}>
      <PageError key={location.pathname}>{children}</PageError>
    </Shell>
  );
}

export function App() {
  return (
    <BrowserRouter basename="/console">
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<Navigate to="/clusters" replace />} />
          <Route
            path="/clusters"
            element={
              <SignedIn>
                <ClusterListPage />
              </SignedIn>
            }
          />
          <Route
            path="/clusters/new"
            element={
              <SignedIn>
                <CreateClusterPage />
              </SignedIn>
            }
          />
          <Route
            path="/clusters/:id"
            element={
              <SignedIn>
                <ClusterDetailPage />
              </SignedIn>
            }
          />
          <Route
            path="/clusters/:id/nodes/:node"
            element={
              <SignedIn>
                <NodeDetailPage />
              </SignedIn>
            }
          />
          <Route path="*" element={<Navigate to="/clusters" replace />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
