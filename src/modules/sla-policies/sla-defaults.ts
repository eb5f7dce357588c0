import type { Priority } from '../requests/requests.entity';

export interface SlaPolicy {
  clock: '24x7' | 'working';
  accept: string;
  dispatch: string;
  resolve: string;
  feedback: string;
  warnAt: number[];
}

const WARN_AT = [0.5, 0.8];

/** DESIGN section 4: the defaults an admin starts from. */
export function defaultPolicy(categoryCode: string, priority: Priority): SlaPolicy {
  if (priority === 'urgent') {
    return {
      clock: '24x7',
      accept: 'PT1H',
      dispatch: 'PT1H',
      resolve: 'PT24H',
      feedback: 'P3D',
      warnAt: WARN_AT,
    };
  }
  if (categoryCode === 'utilities') {
    return {
      clock: '24x7',
      accept: 'PT2H',
      dispatch: 'PT2H',
      resolve: 'PT24H',
      feedback: 'P3D',
      warnAt: WARN_AT,
    };
  }
  if (priority === 'complex') {
    return {
      clock: 'working',
      accept: 'P1D',
      dispatch: 'P1D',
      resolve: 'P15D',
      feedback: 'P3D',
      warnAt: WARN_AT,
    };
  }
  return {
    clock: 'working',
    accept: 'P1D',
    dispatch: 'PT2H',
    resolve: 'P7D',
    feedback: 'P3D',
    warnAt: WARN_AT,
  };
}
