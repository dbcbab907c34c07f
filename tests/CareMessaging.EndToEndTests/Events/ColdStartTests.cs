using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;

namespace CareMessaging.EndToEndTests.Events;

/// <summary>
/// On a fresh stack the read models are built before anything starts in front of them
/// (docs/decisions/0036-not-ready-until-counters-are-built.md): as soon as the stack reports
/// ready, the badge, the stats card and the Conversation service agree, with no waiting. The
/// endocrinology nurse is used here and nowhere else in this collection, so nothing else moves
/// the figures compared.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ColdStartTests(CareMessagingStack stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Right_after_the_stack_is_ready_a_seeded_nurses_badge_equals_the_stats_card_and_the_conversations()
    {
        await using var nurse = await SignedInUser.SignInAsync(stack, DemoUsers.ByUserName("tom.becker"));

        // Read once each: the figures must already be right, not become right after a while.
        using var unreadResponse = await nurse.Http.GetAsync("/api/notifications/unread");
        using var statsResponse = await nurse.Http.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.OK, unreadResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, statsResponse.StatusCode);
        var badge = (await unreadResponse.Content.ReadFromJsonAsync<UnreadSummary>(Json))!;
        var card = (await statsResponse.Content.ReadFromJsonAsync<DashboardCounts>(Json))!;
        var truth = await nurse.GetSummaryAsync();

        // The seed leaves every staff member something unread (ADR 0014): zeros would be the bug.
        Assert.True(truth.UnreadMessages > 0, "the seed left the nurse nothing unread, so the comparison proves nothing");
        Assert.Equal(truth.UnreadMessages, badge.Total);
        Assert.Equal(truth.UnreadMessages, card.UnreadMessages);
        Assert.Equal(badge.Total, badge.Conversations.Sum(c => c.Unread));
    }
}
