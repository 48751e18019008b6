// The workflows this service's worker runs (the bundle's entry point).
export { projectWorkflow } from './project';
export { countyCalendarWorkflow } from './county-calendar';
export { noticeRelayWorkflow } from './notice-relay';
