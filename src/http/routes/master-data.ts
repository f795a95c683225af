import { createRouter } from '../router';

export function masterDataRoutes() {
  const r = createRouter();
  return r;
}
