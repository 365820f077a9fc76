/** The address part of `Name <me@example.com>` or of a bare address, lower-cased. */
export function addressOf(mailbox: string): string {
  const angle = /<\s*([^<>\s]+@[^<>\s]+)\s*>/.exec(mailbox);
  return (angle ? angle[1]! : mailbox.trim()).toLowerCase();
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

const TOKEN_MARK = '+ct.';

/** `me+ct.<token>@example.com`: a reply address on the user's own mailbox, so no mail server of ours is needed. */
export function replyAddress(mailbox: string, token: string): string {
  const at = mailbox.lastIndexOf('@');
  return `${mailbox.slice(0, at)}${TOKEN_MARK}${token}${mailbox.slice(at)}`;
}

/** Whether any of `addresses` is a reply address (the watcher's filter, before any check). */
export function hasReplyAddress(addresses: readonly string[]): boolean {
  return addresses.some((a) => a.toLowerCase().includes(TOKEN_MARK));
}

/** The token of the first reply address among `addresses`. */
export function tokenIn(addresses: readonly string[]): string | undefined {
  for (const address of addresses) {
    const m = /\+ct\.([a-z2-7]+)@/i.exec(address);
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}
