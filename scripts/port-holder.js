// Says whether a TCP port on this machine is free and, when it is not, which process holds it
// (read from /proc, so it works without lsof or ss). Exit 0: free; 1: taken (printed).
const net = require('node:net');
const fs = require('node:fs');

const port = Number(process.argv[2]);

function holder(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines;
    try {
      lines = fs.readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      // f[1]: local address:port in hex; f[3]: state (0A = LISTEN); f[9]: socket inode.
      if (f[1].endsWith(`:${hex}`) && f[3] === '0A') inodes.add(f[9]);
    }
  }
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link;
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        return `process ${pid} (${cmd.slice(0, 120)})`;
      }
    }
  }
  return 'another process (not visible to this user)';
}

const server = net.createServer();
server.once('error', () => {
  console.error(`✗ port ${port} is in use by ${holder(port)}`);
  process.exit(1);
});
server.listen(port, () => server.close(() => process.exit(0)));
