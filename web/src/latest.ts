// A list that reloads as its filters change: the answer of the latest request wins — one that arrives
// after a newer request started is dropped — with its loading flag and its error in the county's words.
import { ref, type Ref } from 'vue';
import { ApiFailure } from './api/client';

export function latestAnswer<T>() {
  const value = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref('');
  let seq = 0;
  /** Fetches; only the latest call's answer (or error) is kept. */
  async function run(fetch: () => Promise<T>): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = '';
    try {
      const answer = await fetch();
      if (mine === seq) value.value = answer;
    } catch (e) {
      if (mine === seq) error.value = e instanceof ApiFailure ? e.message : String(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  return { value, loading, error, run };
}
