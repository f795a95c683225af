import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../errors';
import type { AppEnv } from './env';
import { fieldIssues } from './errors';

/** A sub-app whose zod validation failures become the API's 400 envelope with every bad field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError(fieldIssues(result.error));
    },
  });
}
