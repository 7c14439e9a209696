/** Svelte compiler settings shared by Vite (electron-vite) and svelte-check. */
export default {
  compilerOptions: {
    // Svelte 5 runes everywhere; legacy reactive syntax is a compile error.
    runes: true,
  },
};
