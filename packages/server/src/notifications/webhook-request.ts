import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

const privateRanges = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  privateRanges.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  privateRanges.addSubnet(address, prefix, "ipv6");
}

/** Whether an IP address is loopback, private, link-local, multicast or unspecified. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1]!, "ipv4");
  const family = net.isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class BlockedAddressError extends Error {
  override name = "BlockedAddressError";
}

/**
 * Posts `body` to `url` and resolves with the HTTP status (redirects are not followed).
 * Unless `allowPrivate`, hosts that resolve to a private, loopback or link-local address
 * are refused: the address is checked as the connection is made, so a name that resolves
 * elsewhere later (DNS rebinding) cannot slip past.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number; allowPrivate: boolean }): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (!options.allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
      reject(new BlockedAddressError(`the address ${host} is private; set COCANVAS_WEBHOOK_ALLOW_PRIVATE=true to deliver there`));
      return;
    }
    const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
      dns.lookup(hostname, lookupOptions, (error, address, family) => {
        if (error) return (callback as (...args: unknown[]) => void)(error, address, family);
        const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
        if (!options.allowPrivate && addresses.some(isPrivateAddress)) {
          return (callback as (...args: unknown[]) => void)(new BlockedAddressError(`${hostname} resolves to a private address; set COCANVAS_WEBHOOK_ALLOW_PRIVATE=true to deliver there`));
        }
        (callback as (...args: unknown[]) => void)(null, address, family);
      });
    };
    const request = (target.protocol === "https:" ? https : http).request(
      target,
      { method: "POST", headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, lookup },
      (response) => {
        response.resume(); // the answer's body is not kept
        response.on("end", () => {
          clearTimeout(deadline);
          resolve(response.statusCode ?? 0);
        });
        response.on("error", reject);
      },
    );
    // The whole exchange, not only each read, must finish in time (a receiver trickling bytes does not hold a try open).
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${Math.round(options.timeoutMs / 100) / 10} s`)), options.timeoutMs);
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(body);
  });
}
