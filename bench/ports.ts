// A free loopback port, found synchronously by asking a child process (benchmarks only).
import { execFileSync } from 'node:child_process';

export function freePortSync(): number {
  const out = execFileSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], { encoding: 'utf8' });
  return Number(out.trim());
}
