// Whether the workbench is on a phone-sized screen (≤ 767 px, DOMAIN.md §10): one listener for the
// whole application; pages read `phone.value` (cards instead of tables, a drawer instead of the menu).
import { readonly, ref } from 'vue';

const query = window.matchMedia('(max-width: 767px)');
const narrow = ref(query.matches);
query.addEventListener('change', () => { narrow.value = query.matches; });

export const phone = readonly(narrow);
