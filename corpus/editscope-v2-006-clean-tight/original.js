export function parsePort(value) {
  // Ports come in as strings from the environment.
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`invalid port: ${value}`);
  }
  return port;
}
