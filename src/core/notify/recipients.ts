import type { Config } from "../config.ts";
import type { ChannelName } from "./channels.ts";
import type { NotificationInput } from "./outbox.ts";

/** Someone a notification is for: a user (a tenant admin) or an address from the settings. */
export interface Recipient {
  address: string;
  userId?: number | null;
}

/** What one notification says, whoever gets it. */
export type Announcement = Omit<NotificationInput, "recipient" | "userId" | "channels">;

/** Channels that get one message per notification naming all its recipients (a webhook is a room, not a person). */
const SHARED: readonly ChannelName[] = ["webhook"];

/**
 * One notification for several people, as outbox rows: one row for the shared channels (one
 * webhook post, its recipients listed in `data.recipients`) and one row per recipient for the
 * personal ones (an email each; the output channel prints them grouped). With no channel at all,
 * one skipped row per recipient stays as the record; with no recipient, one row addressed to
 * `nobody` (`operators`) for the webhook, or skipped. A dedupe key is suffixed with the address
 * on the personal rows, so each is added once.
 */
export function addressed(
  n: Announcement,
  to: readonly Recipient[],
  channels: readonly ChannelName[],
  nobody = "nobody",
): NotificationInput[] {
  const shared = channels.filter((c) => SHARED.includes(c));
  const personal = to.length > 0 ? channels.filter((c) => !SHARED.includes(c)) : [];
  const rows: NotificationInput[] = [];
  if (shared.length > 0 || (personal.length === 0 && to.length === 0)) {
    const addresses = to.map((r) => r.address);
    rows.push({
      ...n,
      recipient: addresses.length > 0 ? addresses.join(", ") : nobody,
      userId: null,
      data: { ...n.data, recipients: addresses },
      channels: shared,
    });
  }
  if (personal.length > 0 || shared.length === 0)
    for (const r of to)
      rows.push({
        ...n,
        recipient: r.address,
        userId: r.userId ?? null,
        channels: personal,
        dedupeKey: n.dedupeKey ? `${n.dedupeKey}:${r.address}` : null,
      });
  return rows;
}

/** The `adminEmail` setting's addresses (comma- or space-separated): who gets the operators' notices by email. */
export function adminAddresses(config: Pick<Config, "adminEmail">): string[] {
  return (config.adminEmail ?? "").split(/[\s,;]+/).filter((a) => a.length > 0);
}
