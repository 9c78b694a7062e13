package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.vapiusage.application.AuthenticateToken;
import dev.vapiusage.domain.testing.InMemoryUserTokenRepository;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class LoginModeTest {
  private static final Clock CLOCK = Clock.systemUTC();

  private static OwnLoginPage ownLoginPage() {
    return new OwnLoginPage(
        new AuthenticateToken(new InMemoryUserTokenRepository()),
        new SessionStore(CLOCK, SessionStore.DEFAULT_TTL),
        new LoginThrottle(CLOCK));
  }

  @Test
  void givenOwnLoginPage_loginPath_isTheLoginRouteUnderTheBase() {
    assertThat(ownLoginPage().loginPath("")).isEqualTo("/login");
    assertThat(ownLoginPage().loginPath("/admin/vapi")).isEqualTo("/admin/vapi/login");
  }

  @Test
  void givenHostLogin_loginPath_isTheHostsPathWhateverTheBase() {
    assertThat(new HostLogin("/host/sign-in").loginPath("/admin/vapi")).isEqualTo("/host/sign-in");
  }

  @Test
  void givenOwnLoginPage_ownLoginPage_isItself() {
    OwnLoginPage own = ownLoginPage();

    assertThat(own.ownLoginPage()).containsSame(own);
  }

  @Test
  void givenHostLogin_ownLoginPage_isEmpty() {
    assertThat(new HostLogin("/login").ownLoginPage()).isEmpty();
  }

  @Test
  void ownLoginPage_withoutAnyOfItsParts_isRefused() {
    AuthenticateToken tokens = new AuthenticateToken(new InMemoryUserTokenRepository());
    SessionStore sessions = new SessionStore(CLOCK, SessionStore.DEFAULT_TTL);
    LoginThrottle throttle = new LoginThrottle(CLOCK);

    assertThatNullPointerException().isThrownBy(() -> new OwnLoginPage(null, sessions, throttle));
    assertThatNullPointerException().isThrownBy(() -> new OwnLoginPage(tokens, null, throttle));
    assertThatNullPointerException().isThrownBy(() -> new OwnLoginPage(tokens, sessions, null));
  }

  @Test
  void hostLogin_withoutAPath_isRefused() {
    assertThatNullPointerException().isThrownBy(() -> new HostLogin(null));
  }
}
