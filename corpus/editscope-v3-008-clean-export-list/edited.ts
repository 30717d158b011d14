import { parse } from './parse';
import { format } from './format';
import { check } from './check';

const VERSION = '1.0.0';

export {
  parse,
  format,
  check
};
