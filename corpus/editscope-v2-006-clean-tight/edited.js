export function parsePort(value) {
  const port = typeof value === 'number' ? value : Number.parseInt(value, 10);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`invalid port: ${value}`);
  }
  return port;
}
