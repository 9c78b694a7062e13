package dev.vapiusage.adapter.vapi;

/** The same promises when wide creation windows are listed in slices, three at a time. */
class SlicedVapiClientMetricsSourceTest extends VapiClientMetricsSourceTest {
  @Override
  VapiClientConfig config(VapiClientConfig small) {
    return small.withListings(3);
  }
}
