// electron-vite's `?asset` suffix copies a file next to the main bundle and imports its absolute path.
declare module '*?asset' {
  const path: string;
  export default path;
}
