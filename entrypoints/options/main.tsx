import { render } from 'preact';
import { Options } from './Options';
import './style.css';

render(<Options />, document.getElementById('app')!);
