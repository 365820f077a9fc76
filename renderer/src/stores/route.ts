import { create } from 'zustand';

export type Route =
  | { view: 'overview' }
  | { view: 'task'; id: string }
  | { view: 'sessions' }
  | { view: 'session'; id: string }
  | { view: 'codebases' }
  | { view: 'send'; contextId?: string }
  | { view: 'settings' }
  | { view: 'ralph' }
  | { view: 'ralph-run'; id: string }
  | { view: 'audit' }
  /** An app asks for access through this host's OAuth server: the consent screen. */
  | { view: 'consent'; uid: string }
  /** Back from the OpenID provider with a one-time handoff of the sign-in. */
  | { view: 'signin'; handoff: string }
  | { view: 'signin-failed'; reason: string };

/** `#/tasks/ID` and friends: hash routes work the same from file:// in the desktop window and from the host. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'tasks':
      return parts[1] ? { view: 'task', id: parts[1] } : { view: 'overview' };
    case 'sessions':
      return parts[1] ? { view: 'session', id: parts[1] } : { view: 'sessions' };
    case 'codebases':
      return { view: 'codebases' };
    case 'send':
      return { view: 'send', contextId: new URLSearchParams(query).get('context') ?? undefined };
    case 'settings':
      return { view: 'settings' };
    case 'ralph':
      return parts[1] ? { view: 'ralph-run', id: parts[1] } : { view: 'ralph' };
    case 'audit':
      return { view: 'audit' };
    case 'oauth':
      return parts[1] === 'consent' && parts[2] ? { view: 'consent', uid: parts[2] } : { view: 'overview' };
    case 'signin':
      return parts[1] ? { view: 'signin', handoff: parts[1] } : { view: 'overview' };
    case 'signin-failed':
      return { view: 'signin-failed', reason: new URLSearchParams(query).get('reason') ?? 'unknown' };
    default:
      return { view: 'overview' };
  }
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'task':
      return `#/tasks/${encodeURIComponent(route.id)}`;
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}`;
    case 'ralph-run':
      return `#/ralph/${encodeURIComponent(route.id)}`;
    case 'consent':
      return `#/oauth/consent/${encodeURIComponent(route.uid)}`;
    case 'signin':
      return `#/signin/${encodeURIComponent(route.handoff)}`;
    case 'signin-failed':
      return `#/signin-failed?reason=${encodeURIComponent(route.reason)}`;
    case 'send':
      return route.contextId ? `#/send?context=${encodeURIComponent(route.contextId)}` : '#/send';
    case 'overview':
      return '#/';
    default:
      return `#/${route.view}`;
  }
}

export const useRoute = create<{ route: Route; listen(): () => void }>()((set) => ({
  route: typeof location === 'undefined' ? { view: 'overview' } : parseRoute(location.hash),
  listen() {
    const update = () => set({ route: parseRoute(location.hash) });
    window.addEventListener('hashchange', update);
    update();
    return () => window.removeEventListener('hashchange', update);
  },
}));

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}
