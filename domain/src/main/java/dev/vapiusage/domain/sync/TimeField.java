package dev.vapiusage.domain.sync;

/**
 * Which of a call's timestamps a window bounds: creation for ranges, last change for increments.
 */
public enum TimeField {
  CREATED_AT,
  UPDATED_AT
}
