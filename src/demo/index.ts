// The self-contained demo data set: loading it, and the accounts the sign-in panel offers.
export { demoPanel, isEmpty, loadDemo } from './load.ts';
export { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from './data.ts';
export { loadLancashire } from './lancashire.ts';
