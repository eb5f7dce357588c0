import {
  distanceMetres,
  gcj02ToWgs84,
  isNullIsland,
  outOfChina,
  toWgs84,
  wgs84ToGcj02,
} from '../../src/common/geo/coordinates';

/**
 * Published pairs (WGS-84, GCJ-02) that the usual open implementations of the transform agree
 * on, in Shanghai, Shenzhen and Beijing.
 */
const PAIRS = [
  ['Shanghai', 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215],
  ['Shenzhen', 22.543847, 113.912316, 22.540796131694766, 113.9171764808363],
  ['Beijing', 39.911954, 116.377817, 39.91334545536069, 116.38404722455657],
] as const;

describe('GCJ-02 and WGS-84', () => {
  it.each(PAIRS)(
    '%s: WGS-84 → GCJ-02 matches the published value',
    (_c, wLat, wLng, gLat, gLng) => {
      const gcj = wgs84ToGcj02({ latitude: wLat, longitude: wLng });
      expect(gcj.latitude).toBeCloseTo(gLat, 9);
      expect(gcj.longitude).toBeCloseTo(gLng, 9);
    },
  );

  it.each(PAIRS)('%s: GCJ-02 → WGS-84 lands within a centimetre', (_c, wLat, wLng, gLat, gLng) => {
    const wgs = gcj02ToWgs84({ latitude: gLat, longitude: gLng });
    expect(distanceMetres(wgs, { latitude: wLat, longitude: wLng })).toBeLessThan(0.01);
    // The shift is hundreds of metres, so converting matters.
    expect(
      distanceMetres({ latitude: gLat, longitude: gLng }, { latitude: wLat, longitude: wLng }),
    ).toBeGreaterThan(100);
  });

  it('round-trips points across China to well under a metre', () => {
    for (let lat = 18.5; lat < 53; lat += 3.7) {
      for (let lng = 74; lng < 135; lng += 6.1) {
        const wgs = { latitude: lat, longitude: lng };
        const back = gcj02ToWgs84(wgs84ToGcj02(wgs));
        expect(distanceMetres(back, wgs)).toBeLessThan(0.001);
      }
    }
  });

  it('does not shift points outside China', () => {
    for (const p of [
      { latitude: 51.5007, longitude: -0.1246 }, // London
      { latitude: -33.8568, longitude: 151.2153 }, // Sydney
      { latitude: 35.6586, longitude: 139.7454 }, // Tokyo, east of the box
    ]) {
      expect(outOfChina(p)).toBe(true);
      expect(gcj02ToWgs84(p)).toEqual(p);
      expect(wgs84ToGcj02(p)).toEqual(p);
      expect(toWgs84(p, 'gcj02')).toEqual(p);
    }
  });

  it('leaves WGS-84 as given', () => {
    const p = { latitude: 29.735, longitude: 121.745 };
    expect(toWgs84(p, 'wgs84')).toEqual(p);
    expect(toWgs84(p, 'gcj02')).not.toEqual(p);
  });
});

describe('distanceMetres', () => {
  it('measures on the sphere earthdistance uses', () => {
    // One degree of latitude on a sphere of radius 6 378 168 m.
    const d = distanceMetres({ latitude: 30, longitude: 121 }, { latitude: 31, longitude: 121 });
    expect(d).toBeCloseTo((6378168 * Math.PI) / 180, 3);
    expect(distanceMetres({ latitude: 30, longitude: 121 }, { latitude: 30, longitude: 121 })).toBe(
      0,
    );
  });

  it('knows the failed fix at 0, 0', () => {
    expect(isNullIsland({ latitude: 0, longitude: 0 })).toBe(true);
    expect(isNullIsland({ latitude: 0, longitude: 0.0001 })).toBe(false);
  });
});
