/** What a browser adds to a page's facts: evaluated js properties and dom selectors, requests made. */
export interface BrowserExtras {
  /** js property chain → its value as text ("" when it exists but is not a primitive). */
  js: Map<string, string>;
  dom: Map<string, DomFact>;
  /** Script URLs the page loaded, including ones injected by other scripts. */
  scriptUrls: string[];
  /** XHR/fetch URLs the page requested. */
  xhrUrls: string[];
}

export interface DomFact {
  exists: boolean;
  /** Texts of the first matching elements. */
  texts: string[];
  attributes: Record<string, string[]>;
  properties: Record<string, string[]>;
}
