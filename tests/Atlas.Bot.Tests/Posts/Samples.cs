namespace Atlas.Bot.Tests.Posts;

/// <summary>Feed HTML as WordPress emits it, with the usual debris.</summary>
internal static class Samples
{
    public const string WordPressPost = """
        <p>Cənubi Qafqazda enerji dəhlizləri&nbsp;&mdash; yeni reallıqlar&hellip;</p>
        <!-- wp:image -->
        <figure class="wp-block-image size-large"><img decoding="async" src="https://atlas.example/wp-content/uploads/2026/11/map.jpg" alt="" class="wp-image-42"/></figure>
        <!-- /wp:image -->
        <h2 class="wp-block-heading">Əsas nəticələr</h2>
        <ul class="wp-block-list">
        <li>Neft hasilatı&nbsp;&mdash; 30 mln ton</li>
        <li>Qaz ixracı <strong>artıb</strong>
        <ul><li>Avropaya &laquo;TAP&raquo; ilə</li></ul>
        </li>
        </ul>
        <p>Ətraflı <a href="https://atlas.example/az/hesabat?id=12&amp;lang=az" target="_blank" rel="noopener">hesabatda</a> oxuyun. Qiymət < 80$ & artım > 2%.</p>
        <script type="text/javascript">var tracker = "<p>tracker</p>";</script>
        <div class="sharedaddy"><p>Paylaş: <a href="javascript:void(0)">Facebook</a></p></div>
        """;
}
