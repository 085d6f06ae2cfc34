// Annual reports in Inline XBRL as companies file them with Bolagsverket (XHTML, the K2 and K3
// taxonomies of taxonomier.se), for the fake `dokument` endpoint and the parser's tests.

const fmt = (orgnr: string) => `${orgnr.slice(0, 6)}-${orgnr.slice(6)}`;

/** Digits grouped by spaces, as `ixt:numspacecomma` shows them ("12 345 678"). */
const spaced = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");

/**
 * A K2 report (aktiebolag, full income statement and balance sheet): the figures in kronor in
 * the income statement (decimals INF), and again in TKR (scale 3) in the multi-year overview;
 * the year's loss tagged with sign="-"; employees in the notes.
 */
export function k2Report(o: {
  orgnr: string;
  name: string;
  year: number;
  revenue: number;
  previousRevenue: number;
  employees: number;
  previousEmployees: number;
  loss: number;
}): string {
  const y = o.year;
  const ctx = (id: string, period: string) =>
    `<xbrli:context id="${id}"><xbrli:entity><xbrli:identifier scheme="http://www.bolagsverket.se">${fmt(o.orgnr)}</xbrli:identifier></xbrli:entity><xbrli:period>${period}</xbrli:period></xbrli:context>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
  xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase"
  xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:iso4217="http://www.xbrl.org/2003/iso4217"
  xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2010-04-20"
  xmlns:se-gen-base="http://www.taxonomier.se/se/fr/gen-base/2021-10-31"
  xmlns:se-cd-base="http://www.taxonomier.se/se/fr/cd-base/2021-10-31"
  xmlns:se-mem-base="http://www.taxonomier.se/se/fr/mem-base/2021-10-31">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/><title>Årsredovisning ${o.name} ${y}</title></head>
<body>
<div style="display:none"><ix:header>
  <ix:hidden>
    <ix:nonNumeric name="se-cd-base:RedovisningsvalutaHandlingList" contextRef="period0">se-mem-base:ValutaSvenskaKronorMember</ix:nonNumeric>
    <ix:nonNumeric name="se-cd-base:RakenskapsarForstaDag" contextRef="period0">${y}-01-01</ix:nonNumeric>
    <ix:nonNumeric name="se-cd-base:RakenskapsarSistaDag" contextRef="period0">${y}-12-31</ix:nonNumeric>
  </ix:hidden>
  <ix:references>
    <link:schemaRef xlink:type="simple" xlink:href="http://xbrl.taxonomier.se/se/fr/gaap/k2-all/ab/risbs/2024-09-12/se-k2-ab-risbs-2024-09-12.xsd"/>
  </ix:references>
  <ix:resources>
    ${ctx("period0", `<xbrli:startDate>${y}-01-01</xbrli:startDate><xbrli:endDate>${y}-12-31</xbrli:endDate>`)}
    ${ctx("period1", `<xbrli:startDate>${y - 1}-01-01</xbrli:startDate><xbrli:endDate>${y - 1}-12-31</xbrli:endDate>`)}
    ${ctx("balans0", `<xbrli:instant>${y}-12-31</xbrli:instant>`)}
    <xbrli:unit id="SEK"><xbrli:measure>iso4217:SEK</xbrli:measure></xbrli:unit>
    <xbrli:unit id="antal-anstallda"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>
  </ix:resources>
</ix:header></div>
<div class="page"><h1>Årsredovisning för <ix:nonNumeric name="se-cd-base:ForetagetsNamn" contextRef="period0">${o.name}</ix:nonNumeric></h1>
<p>Org.nr <ix:nonNumeric name="se-cd-base:Organisationsnummer" contextRef="period0">${fmt(o.orgnr)}</ix:nonNumeric></p>
<h2>Förvaltningsberättelse</h2><h3>Flerårsöversikt (tkr)</h3>
<table><tr><th></th><th>${y}</th><th>${y - 1}</th></tr>
<tr><td>Nettoomsättning</td>
<td><ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="period0" unitRef="SEK" decimals="-3" scale="3" format="ixt:numspacecomma">${spaced(Math.round(o.revenue / 1000))}</ix:nonFraction></td>
<td><ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="period1" unitRef="SEK" decimals="-3" scale="3" format="ixt:numspacecomma">${spaced(Math.round(o.previousRevenue / 1000))}</ix:nonFraction></td></tr>
</table>
<h2>Resultaträkning</h2>
<table><tr><th>Belopp i kr</th><th>${y}-01-01 – ${y}-12-31</th><th>${y - 1}-01-01 – ${y - 1}-12-31</th></tr>
<tr><td>Nettoomsättning</td>
<td><ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="period0" unitRef="SEK" decimals="INF" scale="0" format="ixt:numspacecomma">${spaced(o.revenue)}</ix:nonFraction></td>
<td><ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="period1" unitRef="SEK" decimals="INF" scale="0" format="ixt:numspacecomma">${spaced(o.previousRevenue)}</ix:nonFraction></td></tr>
<tr><td>Årets resultat</td>
<td>-<ix:nonFraction name="se-gen-base:AretsResultat" contextRef="period0" unitRef="SEK" decimals="INF" scale="0" sign="-" format="ixt:numspacecomma">${spaced(o.loss)}</ix:nonFraction></td><td></td></tr>
</table>
<h2>Noter</h2><h3>Not 2 Medelantalet anställda</h3>
<table><tr><td>Medelantalet anställda</td>
<td><ix:nonFraction name="se-gen-base:MedelantaletAnstallda" contextRef="period0" unitRef="antal-anstallda" decimals="INF" scale="0" format="ixt:numspacecomma">${o.employees}</ix:nonFraction></td>
<td><ix:nonFraction name="se-gen-base:MedelantaletAnstallda" contextRef="period1" unitRef="antal-anstallda" decimals="INF" scale="0" format="ixt:numspacecomma">${o.previousEmployees}</ix:nonFraction></td></tr></table>
</div></body></html>
`;
}

/**
 * A K3 report with a broken financial year (May to April), the iXBRL 1.1 transformations of
 * registry 4 under another prefix, the amounts in MSEK (scale 6, num-dot-decimal), a year
 * whose returns exceeded its sales (sign="-"), revenue per segment (a dimension, not the
 * company's figure) and a fractional average of employees.
 */
export function k3Report(o: {
  orgnr: string;
  name: string;
  /** The calendar year the financial year ends in (it ends on 30 April). */
  endYear: number;
  revenueMsek: string;
  previousRevenueMsek: string;
  employees: string;
}): string {
  const y = o.endYear;
  const entity = `<xbrli:entity><xbrli:identifier scheme="http://www.bolagsverket.se">${o.orgnr}</xbrli:identifier></xbrli:entity>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
  xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase"
  xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:valuta="http://www.xbrl.org/2003/iso4217"
  xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
  xmlns:ixt4="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
  xmlns:gen="http://www.taxonomier.se/se/fr/gen-base/2021-10-31"
  xmlns:se-mem-base="http://www.taxonomier.se/se/fr/mem-base/2021-10-31">
<head><title>Årsredovisning ${o.name} ${y - 1}/${String(y).slice(2)}</title></head>
<body>
<div style="display:none"><ix:header>
  <ix:references>
    <link:schemaRef xlink:type="simple" xlink:href="http://xbrl.taxonomier.se/se/fr/gaap/k3/ab/risbs/2024-09-12/se-k3-ab-risbs-2024-09-12.xsd"/>
  </ix:references>
  <ix:resources>
    <xbrli:context id="period0">${entity}<xbrli:period><xbrli:startDate>${y - 1}-05-01</xbrli:startDate><xbrli:endDate>${y}-04-30</xbrli:endDate></xbrli:period></xbrli:context>
    <xbrli:context id="period1">${entity}<xbrli:period><xbrli:startDate>${y - 2}-05-01</xbrli:startDate><xbrli:endDate>${y - 1}-04-30</xbrli:endDate></xbrli:period></xbrli:context>
    <xbrli:context id="period0_export">${entity}<xbrli:period><xbrli:startDate>${y - 1}-05-01</xbrli:startDate><xbrli:endDate>${y}-04-30</xbrli:endDate></xbrli:period>
      <xbrli:scenario><xbrldi:explicitMember dimension="gen:GeografiskaOmradenAxis">se-mem-base:ExportMember</xbrldi:explicitMember></xbrli:scenario></xbrli:context>
    <xbrli:unit id="MSEK"><xbrli:measure>valuta:SEK</xbrli:measure></xbrli:unit>
    <xbrli:unit id="personer"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>
  </ix:resources>
</ix:header></div>
<h1>${o.name}</h1>
<h2>Resultaträkning (Mkr)</h2>
<table><tr><th></th><th>${y - 1}/${String(y).slice(2)}</th><th>${y - 2}/${String(y - 1).slice(2)}</th></tr>
<tr><td>Nettoomsättning</td>
<td><ix:nonFraction name="gen:Nettoomsattning" contextRef="period0" unitRef="MSEK" decimals="-5" scale="6" format="ixt4:num-dot-decimal">${o.revenueMsek}</ix:nonFraction></td>
<td>−<ix:nonFraction name="gen:Nettoomsattning" contextRef="period1" unitRef="MSEK" decimals="-5" scale="6" sign="-" format="ixt4:num-dot-decimal">${o.previousRevenueMsek}</ix:nonFraction></td></tr>
<tr><td>varav export</td>
<td><ix:nonFraction name="gen:Nettoomsattning" contextRef="period0_export" unitRef="MSEK" decimals="-5" scale="6" format="ixt4:num-dot-decimal">9.9</ix:nonFraction></td><td></td></tr>
</table>
<h2>Not 4 Anställda</h2>
<p>Medelantalet anställda:
<ix:nonFraction name="gen:MedelantaletAnstallda" contextRef="period0" unitRef="personer" decimals="1" format="ixt4:num-comma-decimal">${o.employees}</ix:nonFraction></p>
</body></html>
`;
}
