/** One admin page: its address under /admin/, its title (Chinese, then the API's English), its HTML and its script. */
export type AdminSection = {
  path: string;
  title: string;
  english: string;
  /** Already-escaped HTML: the section's forms and empty lists, filled by its script. */
  body: string;
  /** Plain browser JavaScript served at /admin/<path>.js, run after /admin/common.js. */
  script: string;
};
