// Admission policies: the policy file, the pure evaluator over admission requests, and the gate
// berthd's API asks before a create, an update, a pull, a build's base image or a service change.
export { AdmissionGate, type AdmissionGateOptions, type AdmitOptions, type PolicyDecisionSink } from './admission-gate.js';
export { containerFacts, createAdmission, imageAdmission, imageFacts, serviceAdmission, updateAdmission, type ServiceTemplateFacts } from './admission-facts.js';
export { violationMessage, type AdmissionRequest, type ContainerFacts, type ImageFacts, type PolicyMode, type Violation } from './admission-request.js';
export { evaluatePolicy, vulnerabilityNeeds } from './evaluate-policy.js';
export { EMPTY_POLICY, loadPolicyFile, parsePolicy, policySummary, type Policy } from './policy-file.js';
