const ipv4Loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether a bind address only accepts connections from this machine. */
export function isLoopbackBind(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || ipv4Loopback.test(h) || (h.startsWith('::ffff:') && ipv4Loopback.test(h.slice(7)));
}

/**
 * Whether a Host header names this machine by a loopback name (any port, any case). A page on
 * an attacker's domain that DNS-rebinds to 127.0.0.1 still sends its own domain as Host, which
 * is how a loopback-bound server tells it apart from a local client.
 */
export function isLoopbackHostHeader(value: string): boolean {
  const v = value.toLowerCase();
  let name: string;
  let rest: string;
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end < 0) return false;
    name = v.slice(0, end + 1);
    rest = v.slice(end + 1);
  } else {
    const colon = v.indexOf(':');
    name = colon < 0 ? v : v.slice(0, colon);
    rest = colon < 0 ? '' : v.slice(colon);
  }
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return false;
  return name === 'localhost' || name === '[::1]' || ipv4Loopback.test(name);
}
