"""China Zones & Clusters Atlas: the library behind the Streamlit pages (importable without Streamlit)."""
