// @ts-check
// Starts three hub instances as separate processes on one PostgreSQL and waits for them.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const names = ['alpha', 'beta', 'gamma'];
const script = fileURLToPath(new URL('./instance.js', import.meta.url));
const children = names.map((name) => fork(script, [name, String(names.length)]));

let ready = 0;
for (const child of children) {
  child.on('message', (message) => {
    if (message === 'ready' && ++ready === children.length) {
      for (const c of children) c.send('go');
    }
  });
}

const codes = await Promise.all(
  children.map(
    (child) =>
      new Promise((resolve) =>
        child.on('exit', (code) => {
          // One instance failed: the others would wait for its greetings for ever.
          if (code !== 0) for (const other of children) other.kill();
          resolve(code);
        }),
      ),
  ),
);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
