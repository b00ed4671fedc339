package index

import (
	"strings"
	"testing"
)

func TestDetectLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "other"},
		{"digits and punctuation", "2026-02-04, 10:00 — 56%!", "other"},
		{"English", "Putin congratulated Xi and the Chinese people on the New Year.", "en"},
		{"English upper case", "BAHIA COCOA REVIEW: SHOWERS CONTINUED THROUGHOUT THE WEEK IN THE BAHIA COCOA ZONE", "en"},
		{"English with Russian words",
			"The speech of the federal Minister, who specially flew to Kazan, заметно sobered up Tatarstan and Chinese businesses. " +
				"Half затрагивают joint interests in metallurgy, and initiatives that предполагают investments.", "en"},
		{"short English", "Putin and Xi", "en"},
		{"English whose only function word is a", "Putin held a video call", "en"},
		{"short Latin without function words", "Oil prices rise", "other"},
		{"Russian", "Президент России провёл переговоры с председателем КНР в Пекине.", "ru"},
		{"Russian with English terms", "Вышла новая версия Go 1.26: generics, iterators и улучшения в runtime для всех разработчиков.", "ru"},
		{"Ukrainian", "Президент України провів зустріч із представниками Євросоюзу в Києві, і це важливо.", "other"},
		{"Chinese", "央视网消息（新闻联播）：国家主席习近平今天在人民大会堂会见来访的外国领导人。", "zh"},
		{"Chinese with Latin acronyms", "世界贸易组织WTO和国际货币基金组织IMF发布报告，预计全球经济增长放缓。", "zh"},
		{"Japanese", "東京で開かれた会議では、経済の見通しについて議論されました。", "other"},
		{"Korean", "서울에서 열린 회의에서 경제 전망이 논의되었습니다.", "other"},
		{"German", "Die Regierung in Berlin hat das Gesetz nicht beschlossen, und der Bundestag ist im Urlaub.", "other"},
		{"French", "Le président de la République a rencontré les ministres et des syndicats dans la matinée.", "other"},
		{"Spanish", "El presidente del Gobierno se reunió con los ministros y con los sindicatos para hablar.", "other"},
		{"English quoting Chinese", "The slogan 人类命运共同体 was repeated by the minister at the forum in Beijing on Monday.", "en"},
		{"Russian quoting Chinese", "Министр процитировал лозунг 人类命运共同体 на форуме в Пекине в понедельник.", "ru"},
		{"emoji only", "🔥🔥🔥", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := DetectLang(tt.text); got != tt.want {
				t.Errorf("DetectLang(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestDetectLang_allocs(t *testing.T) {
	text := strings.Repeat("The minister said заметно 中国 news. ", 100)
	if n := testing.AllocsPerRun(100, func() { DetectLang(text) }); n != 0 {
		t.Errorf("DetectLang allocates %v times per call, want 0", n)
	}
}

func BenchmarkDetectLang(b *testing.B) {
	texts := []struct{ name, text string }{
		{"en", strings.Repeat("Putin said economic ties remained resilient last year, noting that bilateral trade exceeded $200 bn. ", 20)},
		{"ru", strings.Repeat("Президент России провёл переговоры с председателем КНР в Пекине в среду. ", 20)},
		{"zh", strings.Repeat("央视网消息：国家主席习近平今天在人民大会堂会见来访的外国领导人。", 40)},
	}
	for _, tt := range texts {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tt.text)))
			for b.Loop() {
				DetectLang(tt.text)
			}
		})
	}
}
