// The names the service defines (GET /catalog) and the 69 units (GET /units), loaded once per session
// and shared by every page: the web repeats no stage, 产业链 or unit name of its own.
import { reactive } from 'vue';
import { api, ok, type Answer } from './api/client';

export type Catalog = Answer<'/api/v1/catalog', 'get'>;
export type Unit = Answer<'/api/v1/units', 'get'>['items'][number];

export const names = reactive({ catalog: null as Catalog | null, units: [] as Unit[] });

let loading: Promise<void> | null = null;
/** Loads the catalog and the units (once); pages await it before they show names. */
export function loadCatalog(): Promise<void> {
  loading ??= (async () => {
    const [catalog, units] = await Promise.all([ok(api.GET('/api/v1/catalog')), ok(api.GET('/api/v1/units', { params: { query: { pageSize: 200 } } }))]);
    names.catalog = catalog;
    names.units = units.items;
  })().catch((e) => { loading = null; throw e; });
  return loading;
}

const lookup = (list: { code: string; name: string }[] | undefined, code: string | null | undefined) =>
  (code ? list?.find((x) => x.code === code)?.name ?? code : '');

export const stageName = (code?: string | null) => lookup(names.catalog?.stages, code);
export const chainName = (code?: string | null) => lookup(names.catalog?.industryChains, code);
export const channelName = (code?: string | null) => lookup(names.catalog?.channels, code);
export const originName = (code?: string | null) => lookup(names.catalog?.investorOrigins, code);
export const taskTypeName = (code?: string | null) => lookup(names.catalog?.taskTypes, code);
export const unitName = (id?: string | null) => (id ? names.units.find((u) => u.id === id)?.name ?? id : '');
export const unitsOf = (category?: string) => (category ? names.units.filter((u) => u.category === category) : names.units);
