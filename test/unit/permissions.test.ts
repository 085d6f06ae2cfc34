import { describe, expect, it } from "vitest";
import { auditName, refusal, type Action, type Actor } from "../../src/core/users/permissions.ts";

const single: Actor = { name: "whoever", userId: null, role: null };
const admin: Actor = { name: "alice", userId: 1, role: "admin" };
const anna: Actor = { name: "anna", userId: 2, role: "manager" };
const sam: Actor = { name: "sam", userId: 3, role: "sales" };

const actions: Array<[string, Action]> = [
  ["add a schedule", { kind: "schedule.add" }],
  ["change anna's schedule", { kind: "schedule.change", schedule: "A", owner: "anna" }],
  ["change bob's schedule", { kind: "schedule.change", schedule: "B", owner: "bob" }],
  ["give a schedule away", { kind: "schedule.owner", schedule: "A" }],
  ["write jobs", { kind: "jobs.write" }],
  ["manage users", { kind: "users.manage" }],
];

describe("who may do what", () => {
  it.each([
    [single, [true, true, true, true, true, true]],
    [admin, [true, true, true, true, true, true]],
    [anna, [true, true, false, false, true, false]],
    [sam, [false, false, false, false, false, false]],
  ] as const)("%o", (actor, allowed) => {
    expect(actions.map(([, a]) => refusal(actor, a) === null)).toEqual(allowed);
  });

  it("says why, naming the user, the role and the owner", () => {
    expect(refusal(anna, { kind: "schedule.change", schedule: "B", owner: "bob" })).toBe(
      "anna (manager) may change only their own schedules: B is bob's",
    );
    expect(refusal(sam, { kind: "schedule.add" })).toBe("sam (sales) may only read: adding a schedule needs a manager or an admin");
    // what a manager may not do either is an admin's alone
    expect(refusal(sam, { kind: "users.manage" })).toBe("sam (sales) may only read: managing users needs an admin");
    expect(refusal(sam, { kind: "schedule.owner", schedule: "B" })).toBe(
      "sam (sales) may only read: giving schedule B away needs an admin",
    );
  });

  it("the audit trail names the admin who acted for someone", () => {
    expect(auditName(anna)).toBe("anna");
    expect(auditName({ ...anna, via: "alice" })).toBe("anna (by alice)");
  });
});
