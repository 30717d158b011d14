function retry(task, attempts) {
  let lastError;
  for (let i = 0; i < attempts; i++) {
    try {
      return task();
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { retry, wait };
