import { createEmulator } from '../src/emulator/create-emulator.ts';

// A Razorpay emulator in its own process, as Razorpay is to a real reconcile: started by a bench
// (node bin/run-ts.mjs bench/emulator-process.ts <keyId> <keySecret> <clock>), it prints its URL
// on one line and serves until killed. Controls go over HTTP (/_emulator/...).
const [keyId = '', keySecret = '', clock = '1780000000'] = process.argv.slice(2);
const emu = createEmulator({ keyId, keySecret, clock: Number(clock) });
const server = await emu.listen(0);
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => {
  void emu.close().then(() => process.exit(0));
});
