extern alias identity;

using identity::CareMessaging.Identity.Enrolment;

namespace CareMessaging.UnitTests.Identity;

public sealed class EnrolmentSettingsTests
{
    [Fact]
    public void Outside_development_enrolment_needs_an_administrators_code_unless_turned_off()
    {
        Assert.True(new EnrolmentSettings().CodeRequired(isDevelopment: false));
        Assert.False(new EnrolmentSettings { RequireCode = false }.CodeRequired(isDevelopment: false));
    }

    [Fact]
    public void In_development_enrolment_needs_no_code_unless_a_test_or_an_operator_asks_for_one()
    {
        Assert.False(new EnrolmentSettings().CodeRequired(isDevelopment: true));
        Assert.True(new EnrolmentSettings { RequireCode = true }.CodeRequired(isDevelopment: true));
    }

    [Fact]
    public void A_code_lasts_three_days_by_default() =>
        Assert.Equal(TimeSpan.FromHours(72), new EnrolmentSettings().CodeLifetime);
}
