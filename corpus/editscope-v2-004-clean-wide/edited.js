async function retry(task, attempts) {
  let lastError;
  for (let i = 0; i < attempts; i++) {
    try {
      return await task();
    } catch (err) {
      // Retry as before, but back off a little longer each time.
      lastError = err;
      await wait(2 ** i * 100);
    }
  }
  throw lastError;
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { retry, wait };
