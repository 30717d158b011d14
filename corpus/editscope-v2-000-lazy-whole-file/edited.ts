// ... existing code ...

export function describe(config: Config): string {
  return `${config.name} listening on port ${config.port}`;
}

// ... rest of the file unchanged ...
