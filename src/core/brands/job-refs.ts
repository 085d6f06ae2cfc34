import type { Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { findBrand } from "./repository.ts";

/**
 * How brand jobs' payloads may name the brands a `jobs list --brand/--customer` asks for: each
 * brand's name and its id (a payload's `brand` is either). Both given: the brand, which must be
 * the customer's. An unknown brand or customer is a usage error (exit 2).
 */
export async function brandPayloadRefs(db: Db, o: { brand?: string | undefined; customer?: string | undefined }): Promise<string[]> {
  const brands = o.brand === undefined ? undefined : [await findBrand(db, o.brand)];
  let customerBrands: Array<{ id: number; name: string }> | undefined;
  if (o.customer !== undefined) {
    const wanted = o.customer.trim().toLowerCase();
    const customer = (await db.selectFrom("customer").select(["id", "name"]).execute()).find((c) => c.name.toLowerCase() === wanted);
    if (!customer) throw new UsageError(`no customer "${o.customer}"`, { code: "NOT_FOUND", hint: "see `leadjobs brands list`" });
    customerBrands = await db.selectFrom("brand").select(["id", "name", "customer_id"]).where("customer_id", "=", customer.id).execute();
    if (brands?.[0] && brands[0].customer_id !== customer.id) throw new UsageError(`brand ${brands[0].name} is not ${customer.name}'s`);
  }
  return (brands ?? customerBrands ?? []).flatMap((b) => [b.name, String(b.id)]);
}
