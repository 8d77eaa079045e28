// Imported before any schema is built. zod compiles object parsers with `new Function` unless told
// not to; the page's CSP forbids eval, so the probe alone is reported as a script-src violation.
// The interpreted parsers give the same results.
import { z } from 'zod';

z.config({ jitless: true });
