/** The part of heic-decode (libheif compiled to WebAssembly) the attachments use. */
declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  interface HeifImage {
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  function decode(input: { buffer: Buffer | Uint8Array }): Promise<DecodedImage>;
  namespace decode {
    function all(input: {
      buffer: Buffer | Uint8Array;
    }): Promise<HeifImage[] & { dispose(): void }>;
  }
  export = decode;
}
