extern alias web;

using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using Microsoft.Extensions.Configuration;
using web::CareMessaging.Web.Authentication;
using web::CareMessaging.Web.Display;
using web::CareMessaging.Web.Errors;
using web::CareMessaging.Web.Pages.Shared;

namespace CareMessaging.UnitTests.Web;

/// <summary>How the pages name senders, build links and answer errors.</summary>
public sealed class PageDisplayTests
{
    [Fact]
    public void Sender_is_you_for_the_reader_patient_with_name_for_the_patient_and_the_colleagues_name_otherwise()
    {
        Assert.Equal("You", MessageDisplay.SenderLabel(Message(SenderKind.Staff, "Dr. Sarah Chen", fromMe: true)));
        Assert.Equal("Patient · Mark Jones", MessageDisplay.SenderLabel(Message(SenderKind.Patient, "Mark Jones", fromMe: false)));
        Assert.Equal("Dr. James Okafor", MessageDisplay.SenderLabel(Message(SenderKind.Staff, "Dr. James Okafor", fromMe: false)));
    }

    [Theory]
    [InlineData("/inbox?filter=unread", "/signin?returnUrl=%2Finbox%3Ffilter%3Dunread")]
    [InlineData("//evil.example/path", "/signin?returnUrl=%2F")]
    [InlineData("https://evil.example/", "/signin?returnUrl=%2F")]
    public void Sign_in_brings_the_user_back_only_to_a_page_of_this_site(string returnUrl, string expected) =>
        Assert.Equal(expected, BrowserRequests.SignInUrl(returnUrl));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(42.0, "under 1 min")]
    [InlineData(14 * 60 + 59.0, "14 min")]
    [InlineData(3 * 3600.0, "3 h")]
    [InlineData(3 * 3600 + 5 * 60.0, "3 h 5 min")]
    [InlineData(2 * 86400 + 4 * 3600 + 59 * 60.0, "2 d 4 h")]
    public void A_teams_median_first_response_reads_in_minutes_then_hours_then_days(double? seconds, string expected) =>
        Assert.Equal(expected, TeamResponseTimes.Duration(seconds));

    [Fact]
    public void A_care_team_is_named_in_words()
    {
        Assert.Equal("Primary care", TeamResponseTimes.TeamName("primary-care"));
        Assert.Equal("Cardiology", TeamResponseTimes.TeamName("cardiology"));
    }

    [Fact]
    public void List_links_keep_the_tab_but_not_the_default_tab()
    {
        Assert.Equal(string.Empty, ConversationListView.ListQuery(ReadFilter.All, cursor: null));
        Assert.Equal("?filter=unread", ConversationListView.ListQuery(ReadFilter.Unread, cursor: null));
        Assert.Equal("?cursor=abc", ConversationListView.ListQuery(ReadFilter.All, "abc"));
    }

    [Fact]
    public void What_was_searched_for_never_appears_in_a_link()
    {
        var conversation = Guid.NewGuid();
        var list = new ConversationListView([], NextCursor: "abc", ReadFilter.Unread, Query: "Jones", SelectedId: null, ForStaff: true);

        Assert.Equal($"/inbox/{conversation}?filter=unread", list.ConversationUrl(conversation));
        Assert.Equal("/inbox?filter=read", list.FilterUrl(ReadFilter.Read));
        // The next page of a search is a posted form instead of a link.
        Assert.Null(list.LoadMoreUrl);
        Assert.Equal("/inbox?filter=unread&cursor=abc", (list with { Query = null }).LoadMoreUrl);
    }

    [Theory]
    [InlineData("Mark Jones", "MJ")]
    [InlineData("Ana María de la Cruz", "AC")]
    [InlineData("Cher", "C")]
    public void Header_avatar_initials_are_the_first_letters_of_the_signed_in_persons_first_and_last_names(string name, string initials) =>
        Assert.Equal(initials, SignedIn(name, Roles.Nurse).AvatarInitials);

    [Fact]
    public void A_person_holding_a_care_team_role_and_the_patient_role_works_from_the_inbox()
    {
        var caller = SignedIn("Dana Reyes", Roles.Patient, Roles.Nurse);

        Assert.Equal("/inbox", caller.HomePath);
        Assert.Equal("Nurse", caller.RoleDisplayName);
    }

    [Fact]
    public void A_patient_works_from_the_portal_and_anyone_else_lands_on_their_account()
    {
        Assert.Equal("/portal", SignedIn("Mark Jones", Roles.Patient).HomePath);
        Assert.Equal("/account", SignedIn("Ola Berg", Roles.Compliance).HomePath);
        Assert.Equal("Compliance", SignedIn("Ola Berg", Roles.Compliance).RoleDisplayName);
    }

    [Fact]
    public void Not_found_page_does_not_say_whether_the_conversation_exists()
    {
        var page = ErrorPage.For(404, "trace");
        Assert.Equal("Page not found", page.Title);
        Assert.Contains("or it is not shared with your care team", page.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Archived_conversations_take_no_replies()
    {
        var archived = new ThreadView(Conversation(ConversationStatus.Archived), [], null, ForStaff: true, "/inbox");
        var resolved = archived with { Conversation = Conversation(ConversationStatus.Resolved) };
        Assert.False(archived.CanReply);
        Assert.True(resolved.CanReply);
    }

    private static MessageView Message(SenderKind kind, string name, bool fromMe) => new()
    {
        Id = Guid.NewGuid(),
        ConversationId = Guid.NewGuid(),
        Sequence = 1,
        SenderId = "user-1",
        Body = "Hello",
        SenderKind = kind,
        SenderName = name,
        SentAt = DateTimeOffset.UnixEpoch,
        FromMe = fromMe,
    };

    private static ConversationListItem Conversation(ConversationStatus status) => new()
    {
        Id = Guid.NewGuid(),
        PatientId = "P-100201",
        PatientName = "Mark Jones",
        PatientInitials = "MJ",
        CareTeamId = "cardiology",
        Topic = "Blood pressure",
        Status = status,
        LastMessagePreview = "Hello",
        LastSenderKind = SenderKind.Patient,
        LastActivityAt = DateTimeOffset.UnixEpoch,
        CreatedAt = DateTimeOffset.UnixEpoch,
        MessageCount = 1,
        UnreadCount = 0,
        AwaitingResponse = true,
    };

    /// <summary>A signed-in person as the gateway's token describes them: a name, roles, and a patient ID for patients.</summary>
    private static CareMessagingCaller SignedIn(string name, params string[] roles)
    {
        List<Claim> claims = [new(CareMessagingClaims.Subject, "user-1"), new(CareMessagingClaims.Name, name), .. roles.Select(role => new Claim(CareMessagingClaims.Role, role))];
        if (roles.Contains(Roles.Patient))
        {
            claims.Add(new Claim(CareMessagingClaims.PatientId, "P-100201"));
        }

        if (roles.Any(Roles.CareTeamRoles.Contains))
        {
            claims.Add(new Claim(CareMessagingClaims.CareTeam, "cardiology"));
        }

        return CareMessagingCaller.From(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")));
    }

    [Theory]
    [InlineData(null, "25 Nov 2026, 14:02 UTC")]
    [InlineData("America/New_York", "25 Nov 2026, 09:02 America/New_York")]
    [InlineData("Europe/Berlin", "25 Nov 2026, 15:02 Europe/Berlin")]
    public void Without_a_script_times_show_in_the_hospitals_zone_and_say_which(string? zone, string expected)
    {
        var times = new DisplayTime(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Display:TimeZone"] = zone }).Build());

        Assert.Equal(expected, times.Text(new DateTimeOffset(2026, 11, 25, 14, 2, 0, TimeSpan.Zero)));
        Assert.Equal("2026-11-25T14:02:00Z", DisplayTime.Iso(new DateTimeOffset(2026, 11, 25, 9, 2, 0, TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void A_mistyped_time_zone_is_refused_with_the_setting_named()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Display:TimeZone"] = "Europe/Londn" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => new DisplayTime(settings));
        Assert.Contains("Display:TimeZone", error.Message, StringComparison.Ordinal);
    }
}
