/**
 * Nest 12 ships as ES modules. Node 20 loads them from our CommonJS build through require(esm),
 * but Jest only does that on Node 24.9+, so under Jest those packages are compiled to CommonJS.
 */
const { createHash } = require('node:crypto');
const { transformSync } = require('@babel/core');

module.exports = {
  process(source, filename) {
    const code = source
      // CommonJS already has a `require`; an ES module's home-made one would shadow it.
      .replace(/^const require = createRequire\(import\.meta\.url\);?$/gm, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");
    const result = transformSync(code, {
      filename,
      babelrc: false,
      configFile: false,
      sourceMaps: 'inline',
      plugins: [
        '@babel/plugin-transform-dynamic-import',
        '@babel/plugin-transform-modules-commonjs',
      ],
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return createHash('sha256')
      .update('esm-to-cjs-3')
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
