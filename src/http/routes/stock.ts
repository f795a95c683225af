import { createRouter } from '../router';

export function stockRoutes() {
  const r = createRouter();
  return r;
}
