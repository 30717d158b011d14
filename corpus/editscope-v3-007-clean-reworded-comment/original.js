// Limits for uploads.
// Accepts other sizes, e.g. 2 MB...
export const limits = { size: 1024 * 1024 };

export function check(file) {
  if (file.size > limits.size) {
    throw new Error('too large');
  }
  return true;
}
