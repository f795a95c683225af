const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Comparing a uuid column with a string that is not one is a cast error in Postgres, not a miss: check first. */
export const isUuid = (s: string) => UUID.test(s);
