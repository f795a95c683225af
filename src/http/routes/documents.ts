import { createRouter } from '../router';

export function documentRoutes() {
  const r = createRouter();
  return r;
}
