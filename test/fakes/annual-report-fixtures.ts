import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { k2Report, k3Report } from "./annual-reports.ts";
import type { FakeBolagsverket } from "./bolagsverket-server.ts";
import { zipFiles } from "./zip.ts";

/**
 * Companies and the annual reports they filed, for the fake Bolagsverket: a K2 company with two
 * years filed, a K3 company with a broken financial year, one that has filed nothing, and one
 * whose document is another company's report.
 */
export function annualReportFixtures() {
  const k2 = "5560160680";
  const k3 = withCheckDigit("556677889");
  const none = withCheckDigit("559100001");
  const other = withCheckDigit("559100002");
  const zip = (name: string, xhtml: string) => zipFiles([{ name: `${name}.xhtml`, data: xhtml }]);
  const k2Of = (year: number, revenue: number, previousRevenue: number, employees: number) =>
    zip(
      `arsredovisning-${year}`,
      k2Report({ orgnr: k2, name: "Åkesson Logistik AB", year, revenue, previousRevenue, employees, previousEmployees: 11, loss: 125_000 }),
    );
  return {
    k2,
    k3,
    none,
    other,
    file(fake: FakeBolagsverket): void {
      fake.fileDocument(k2, {
        dokumentId: "K2-2024",
        rapporteringsperiodTom: "2024-12-31",
        registreringstidpunkt: "2025-05-20",
        zip: k2Of(2024, 9_876_543, 8_000_000, 11),
      });
      fake.fileDocument(k2, {
        dokumentId: "K2-2025",
        rapporteringsperiodTom: "2025-12-31",
        registreringstidpunkt: "2026-04-02",
        zip: k2Of(2025, 12_345_678, 9_876_543, 14),
      });
      fake.fileDocument(k3, {
        dokumentId: "K3-2025",
        rapporteringsperiodTom: "2025-04-30",
        registreringstidpunkt: "2025-09-15",
        zip: zipFiles([
          { name: "META-INF/manifest.xml", data: "<manifest/>" },
          {
            name: "Norrhamn-Frakt-AB-2024-25.xhtml",
            data: k3Report({
              orgnr: k3,
              name: "Norrhamn Frakt AB",
              endYear: 2025,
              revenueMsek: "48.2",
              previousRevenueMsek: "1.3",
              employees: "41,5",
            }),
          },
        ]),
      });
      fake.fileDocument(other, {
        dokumentId: "FEL-2025",
        rapporteringsperiodTom: "2025-12-31",
        registreringstidpunkt: "2026-03-01",
        zip: k2Of(2025, 1, 1, 1),
      });
    },
    /** The K2 company files its next report (its comparative column for 2025 differs from the 2025 report's own). */
    fileNewerK2(fake: FakeBolagsverket): void {
      fake.fileDocument(k2, {
        dokumentId: "K2-2026",
        rapporteringsperiodTom: "2026-12-31",
        registreringstidpunkt: "2027-03-10",
        zip: k2Of(2026, 15_000_000, 12_000_000, 17),
      });
    },
  };
}
