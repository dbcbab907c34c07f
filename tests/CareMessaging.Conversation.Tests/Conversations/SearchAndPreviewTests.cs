using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Encryption;

namespace CareMessaging.Conversation.Tests.Conversations;

public sealed class SearchAndPreviewTests
{
    [Theory]
    [InlineData("Insulin", "%insulin%")]
    [InlineData("  P-100201 ", "%p-100201%")]
    [InlineData("50%_off", @"%50\%\_off%")]
    [InlineData(@"a\b", @"%a\\b%")]
    public void Search_terms_become_escaped_lower_case_substring_patterns(string search, string pattern)
    {
        Assert.Equal(pattern, ConversationQueries.SearchPattern(search));
    }

    [Fact]
    public void No_search_term_means_no_filter()
    {
        Assert.Null(ConversationQueries.SearchPattern("   "));
    }

    [Fact]
    public void A_preview_is_one_line_and_cut_at_its_length()
    {
        Assert.Equal("line one line two", ProtectedFields.Preview("line one\n\n  line two  "));
        var cut = ProtectedFields.Preview(new string('x', 500));
        Assert.Equal(ProtectedFields.PreviewLength, cut.Length);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }
}
